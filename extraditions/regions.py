"""Country groupings used by the headline figures."""

# Europe as the UN geoscheme (M49) draws it, plus Cyprus (an EU and Council of Europe member the
# geoscheme puts in Western Asia). Russia, Belarus and Ukraine count as European; Turkey and the
# South Caucasus do not. docs/data.md explains how this compares with the source documents.
EUROPE = frozenset(
    ["AD", "AL", "AT", "AX", "BA", "BE", "BG", "BY", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FO", "FR", "GB", "GG", "GI", "GR", "HR", "HU", "IE", "IM", "IS", "IT", "JE", "LI", "LT", "LU", "LV", "MC", "MD", "ME", "MK", "MT", "NL", "NO", "PL", "PT", "RO", "RS", "RU", "SE", "SI", "SJ", "SK", "SM", "UA", "VA", "XK"]
)

# The regions the API and the site filter by, by the name used in URLs (?region=europe).
REGIONS = {"europe": EUROPE}
