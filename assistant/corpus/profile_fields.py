"""The fields a company profile's facts may have, and what each is called in both languages: shared by
the records (companies.py) and the schema a profile file is validated against (profile_schema.py)."""

FIELDS = (
    "analogy",
    "founded",
    "headquarters",
    "focus",
    "products",
    "fundraising",
    "valuation",
    "listing",
    "revenue",
    "losses",
    "shareholders",
)
FIELD_LABELS = {
    "analogy": ("类比", "Compared to"),
    "founded": ("成立", "Founded"),
    "headquarters": ("总部", "Headquarters"),
    "focus": ("定位", "Focus"),
    "products": ("产品与架构", "Products"),
    "fundraising": ("募资与融资", "Fundraising"),
    "valuation": ("估值", "Valuation"),
    "listing": ("上市进程", "Listing"),
    "revenue": ("营收", "Revenue"),
    "losses": ("亏损", "Losses"),
    "shareholders": ("股东", "Shareholders"),
    "profit": ("净利润", "Net profit"),  # asked of any company; no curated profile has it
}
