"""Hand-made published tables shared by the history tests (imported as a helper module)."""

HEADER = "year,item,weight,value,percent\n"

# Two consistent years. 2016: areas add up to 40.42, Hasil 29.54, Indeks 69.96 (B, just below 70).
# 2017: 43.62 + 30.81 = 74.43 (BB).
CONSISTENT = HEADER + """\
2016,MP,5,3.45,69.00
2016,PPU,5,2.80,56.00
2016,ORG,6,4.20,70.00
2016,TL,5,3.60,72.00
2016,SDM,15,9.75,65.00
2016,AKT,6,4.50,75.00
2016,PWS,12,7.80,65.00
2016,PP,6,4.32,72.00
2016,PENGUNGKIT,60,40.42,67.37
2016,H.1,20,14.50,72.50
2016,H.2,10,7.25,72.50
2016,H.3,10,7.79,77.90
2016,HASIL,40,29.54,73.85
2016,INDEKS,100,69.96,69.96
2016,GRADE,,B,
2017,MP,5,3.80,76.00
2017,PPU,5,3.10,62.00
2017,ORG,6,4.50,75.00
2017,TL,5,3.90,78.00
2017,SDM,15,10.50,70.00
2017,AKT,6,4.80,80.00
2017,PWS,12,8.40,70.00
2017,PP,6,4.62,77.00
2017,PENGUNGKIT,60,43.62,72.70
2017,H.1,20,15.20,76.00
2017,H.2,10,7.60,76.00
2017,H.3,10,8.01,80.10
2017,HASIL,40,30.81,77.03
2017,INDEKS,100,74.43,74.43
2017,GRADE,,BB,
"""

# LKE ZI (PermenPANRB 90/2021): Pemenuhan and Reform areas, two Hasil parts, no letter grades.
ZI_2022 = HEADER + """\
2022,P.MP,4,3.00,75.00
2022,P.TL,3.5,2.80,80.00
2022,P.SDM,5,4.00,80.00
2022,P.AKT,5,4.00,80.00
2022,P.PWS,7.5,6.00,80.00
2022,P.PP,5,4.00,80.00
2022,R.MP,4,3.00,75.00
2022,R.TL,3.5,2.80,80.00
2022,R.SDM,5,4.00,80.00
2022,R.AKT,5,4.00,80.00
2022,R.PWS,7.5,6.00,80.00
2022,R.PP,5,4.00,80.00
2022,PENGUNGKIT,60,47.60,79.33
2022,H.1,22.5,18.00,80.00
2022,H.2,17.5,14.00,80.00
2022,HASIL,40,32.00,80.00
2022,INDEKS,100,79.60,79.60
2022,GRADE,,WBK,
"""


def replace(text: str, year: int, item: str, column: str, new: str) -> str:
    """The table with one cell changed (the row must exist)."""
    idx = ["year", "item", "weight", "value", "percent"].index(column)
    out, hit = [], False
    for line in text.splitlines():
        cells = line.split(",")
        if cells[0] == str(year) and cells[1] == item:
            cells[idx] = new
            hit = True
        out.append(",".join(cells))
    assert hit, f"no row {year} {item}"
    return "\n".join(out) + "\n"
