"""Country names for letters abroad, and their postage zone.

The SDK's address check (``govuk_notify.validation``) knows only the United Kingdom's names and
leaves a possible foreign country to the server. The sandbox is the server here, so it needs a
list: Royal Mail's Europe zone, and the rest of the world. Matching ignores case, spaces,
``_-'’,.()``, reads ``&`` and ``+`` as "and", and skips a leading "the". The list holds common
English names and a few usual synonyms; it is shorter than the server's (which also knows Welsh
names and many more spellings).
"""

from __future__ import annotations

from typing import Final

__all__ = ["country_zone"]

_EUROPE: Final = """
Aland Islands|Albania|Andorra|Armenia|Austria|Azerbaijan|Azores|Balearic Islands|Belarus|Belgium|
Bosnia and Herzegovina|Bosnia|Bulgaria|Canary Islands|Corsica|Croatia|Cyprus|Czechia|
Czech Republic|Denmark|Estonia|Faroe Islands|Finland|France|Georgia|Germany|Deutschland|Gibraltar|
Greece|Greenland|Hungary|Iceland|Ireland|Republic of Ireland|Eire|Italy|Kazakhstan|Kosovo|
Kyrgyzstan|Latvia|Liechtenstein|Lithuania|Luxembourg|Madeira|Malta|Moldova|Monaco|Montenegro|
Netherlands|Holland|North Macedonia|Macedonia|Norway|Poland|Portugal|Romania|Russia|
Russian Federation|San Marino|Serbia|Slovakia|Slovenia|Spain|Espana|Sweden|Switzerland|
Tajikistan|Turkey|Turkiye|Turkmenistan|Ukraine|Uzbekistan|Vatican City|Holy See|Svalbard
"""

_REST_OF_WORLD: Final = """
Afghanistan|Algeria|American Samoa|Angola|Anguilla|Antigua and Barbuda|Argentina|Aruba|Australia|
Bahamas|Bahrain|Bangladesh|Barbados|Belize|Benin|Bermuda|Bhutan|Bolivia|Botswana|Brazil|
British Virgin Islands|Brunei|Burkina Faso|Burundi|Cambodia|Cameroon|Canada|Cape Verde|
Cayman Islands|Central African Republic|Chad|Chile|China|Colombia|Comoros|Congo|Cook Islands|
Costa Rica|Cuba|Curacao|Democratic Republic of the Congo|Djibouti|Dominica|Dominican Republic|
East Timor|Timor-Leste|Ecuador|Egypt|El Salvador|Equatorial Guinea|Eritrea|Eswatini|Swaziland|
Ethiopia|Falkland Islands|Fiji|French Guiana|French Polynesia|Gabon|Gambia|Ghana|Grenada|
Guadeloupe|Guam|Guatemala|Guinea|Guinea-Bissau|Guyana|Haiti|Honduras|Hong Kong|India|Indonesia|
Iran|Iraq|Israel|Ivory Coast|Cote d'Ivoire|Jamaica|Japan|Jordan|Kenya|Kiribati|Kuwait|Laos|
Lebanon|Lesotho|Liberia|Libya|Macao|Madagascar|Malawi|Malaysia|Maldives|Mali|Marshall Islands|
Martinique|Mauritania|Mauritius|Mayotte|Mexico|Micronesia|Mongolia|Montserrat|Morocco|Mozambique|
Myanmar|Burma|Namibia|Nauru|Nepal|New Caledonia|New Zealand|Nicaragua|Niger|Nigeria|North Korea|
Oman|Pakistan|Palau|Palestine|Panama|Papua New Guinea|Paraguay|Peru|Philippines|Pitcairn Islands|
Puerto Rico|Qatar|Reunion|Rwanda|Saint Helena|St Helena|Saint Kitts and Nevis|St Kitts and Nevis|
Saint Lucia|St Lucia|Saint Vincent and the Grenadines|St Vincent|Samoa|Sao Tome and Principe|
Saudi Arabia|Senegal|Seychelles|Sierra Leone|Singapore|Solomon Islands|Somalia|South Africa|
South Korea|Korea|South Sudan|Sri Lanka|Sudan|Suriname|Syria|Taiwan|Tanzania|Thailand|Togo|Tonga|
Trinidad and Tobago|Tunisia|Turks and Caicos Islands|Tuvalu|Uganda|United Arab Emirates|UAE|
United States|United States of America|USA|US|America|Uruguay|US Virgin Islands|Vanuatu|
Venezuela|Vietnam|Viet Nam|Yemen|Zambia|Zimbabwe
"""

_DELETIONS: Final = {ord(c): None for c in " _-'\u2019,.()\n\t"}


def _key(name: str) -> str:
    text = name.lower().replace("&", " and ").replace("+", " and ").strip()
    for prefix in ("the ",):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    return text.translate(_DELETIONS)


def _table(names: str, zone: str) -> dict[str, str]:
    return {_key(name): zone for name in names.split("|") if name.strip()}


_ZONES: Final = {**_table(_REST_OF_WORLD, "rest-of-world"), **_table(_EUROPE, "europe")}


def country_zone(line: str) -> str | None:
    """``europe`` or ``rest-of-world`` for a known foreign country name, else None."""
    if any(char.isdigit() for char in line):
        return None
    return _ZONES.get(_key(line))
