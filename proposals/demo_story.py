"""The demo's proposals, as data: the reference library and 25 proposals across every status.

Each proposal names the kind of account it goes to ("pool"), worked out from the demo ledger when
the demo loads: won and open ones go to accounts that buy (key accounts first), lost and expired
ones to accounts that are slipping away or gone, first offers to prospects. Days are counted back
from the day the demo loads, so the story is always recent.
"""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import Contact

from .models import Proposal

S = Proposal.Status
WON = Proposal.WonReason
ROLE = Contact.DmuRole

# The pools of accounts (proposals/demo.py sorts the demo accounts into them).
KEY, BUYING, SLIPPING, GONE, PROSPECT = "key", "buying", "slipping", "gone", "prospect"

# product line code → the SKU prefix of the demo ledger
SKU_PREFIX = {
    "consumables": "CON",
    "spare-parts": "SPA",
    "equipment": "EQP",
    "services": "SRV",
    "bulk-materials": "BLK",
}

# title, client, industry, product line, what we did, result, recommender, position, phone, year
STORIES = (
    ("Spare-parts framework with consignment stock", "Kestrel Mining Oy", "Mining", "spare-parts",
     "A three-year framework with a consignment store at the client's main site, refilled weekly.",
     "Unplanned downtime down 31 % in the first year; the client's own spare-parts stock down 18 %.",
     "Petra Laine", "Maintenance Director", "+358 40 555 0142", 2024),
    ("Predictive maintenance for the press line", "Hansa Automotive GmbH", "Automotive", "services",
     "Vibration sensors on 14 presses and a monthly service visit planned from their data.",
     "Mean time between failures up from 190 to 410 hours; maintenance budget flat.",
     "Jürgen Weiss", "Plant Manager", "+49 89 5550 2231", 2025),
    ("Vendor-managed inventory of bulk materials", "Costa Cementos S.A.", "Construction",
     "bulk-materials", "We plan and deliver the silo levels of two plants from daily readings.",
     "Out-of-stock days down from 14 a year to none; 1.2 M EUR of working capital freed.",
     "María Ortega", "Supply Chain Director", "+34 93 555 0188", 2023),
    ("Maintenance of four lines outsourced", "Fuji Precision K.K.", "Machinery", "services",
     "Our engineers run the planned maintenance of four lines, with the spare parts on site.",
     "Changeover time cut by 22 %; on-time delivery up from 88 % to 97 %.",
     "Kenta Mori", "Chief Operating Officer", "+81 3 5550 7712", 2025),
    ("Packaging line retrofit", "Vistula Foods Sp. z o.o.", "Food & beverage", "equipment",
     "New drives and a second sealing head on the existing line, installed over one weekend.",
     "Line speed up 35 % without new floor space; paid back in 14 months.",
     "Anna Kowalczyk", "Technical Director", "+48 22 555 0163", 2024),
    ("Consumables standardised across five plants", "Göta Paper AB", "Pulp & paper", "consumables",
     "One catalogue and one price list for five plants, ordered through a single portal.",
     "Item count down from 640 to 210; purchasing cost down 9 % a year.",
     "Erik Holm", "Head of Procurement", "+46 31 555 0190", 2022),
)  # fmt: skip

# What each audience of the buying centre is told (DOMAIN.md: the arguments per DMU member).
ARGUMENTS = {
    ROLE.DECISION_MAKER: "One accountable partner for {title_lower}: supply secured through next year "
    "and the risk of a line stoppage taken off the table.",
    ROLE.FINANCIAL_APPROVER: "Pays back in {payback} months; about {savings} EUR saved a year. "
    "Prices fixed for 12 months, 60 days' payment.",
    ROLE.TECHNICAL_EXPERT: "Every item meets your current specification; test certificates per batch "
    "and an engineer on call during the start-up.",
    ROLE.BUYER: "Fixed unit prices for 12 months, delivery within 48 hours from the regional stock, "
    "one monthly invoice.",
    ROLE.USER_INITIATOR: "Training on site for every shift and a named contact for the operators.",
    ROLE.INFLUENCER: "Quality data per delivery, shared monthly: the figures your quality reviews ask for.",
    ROLE.GATEKEEPER: "A two-page summary for the management meeting, with the decision points marked.",
}


@dataclass(frozen=True)
class Line:
    product_line: str
    description: str
    quantity: str
    unit_price: str
    discount: str = "0"


@dataclass(frozen=True)
class Story:
    """One demo proposal: where it goes, what it offers and how far it got.

    `ago` is the days back to its last event: the decision (won, lost, expired, withdrawn), the
    sending (out with the client) or the creation (draft, in approval, approved). `days` is how
    long the client took to decide, counted from the sending."""

    pool: str
    status: str
    title: str
    lines: tuple[Line, ...]
    ago: int
    days: int = 0
    reason: str = ""
    notes: str = ""
    savings: int = 0  # the client's savings a year, EUR
    payback: str = ""  # months
    unargued: tuple[str, ...] = ()  # audiences left without an argument (the checklist warns)


def _l(code: str, description: str, quantity: str, unit_price: str, discount: str = "0") -> Line:
    return Line(code, description, quantity, unit_price, discount)


PROPOSALS = (
    # --- won: accounts that buy, key accounts first --------------------------------------------------
    Story(KEY, S.WON, "Equipment modernisation, press shop",
          (_l("equipment", "Servo press drive unit", "140", "1450.00", "5"),
           _l("services", "Installation and commissioning", "160", "420.00")),
          ago=35, days=21, reason=WON.RELATIONSHIP, savings=96000, payback="22",
          notes="Chosen over two bidders: the CEO trusted our track record on their old line."),
    Story(KEY, S.WON, "Predictive maintenance service contract",
          (_l("services", "Condition monitoring, 14 machines, 12 months", "12", "3800.00", "6"),
           _l("spare-parts", "Sensor kit", "14", "890.00")),
          ago=80, days=18, reason=WON.VALUE, savings=42000, payback="9",
          notes="Their maintenance director cited the Hansa Automotive results."),
    Story(BUYING, S.WON, "Consumables annual supply 2027",
          (_l("consumables", "Cutting discs 125 mm", "4000", "12.50", "8"),
           _l("consumables", "Protective gloves, pairs", "6000", "3.90", "8")),
          ago=120, days=12, reason=WON.PRICE, savings=6500, payback="0",
          notes="Matched the incumbent's price with 12-month fixed prices."),
    Story(BUYING, S.WON, "Packaging line retrofit",
          (_l("equipment", "Sealing head, second station", "2", "14500.00", "5"),
           _l("services", "Weekend installation crew", "48", "420.00")),
          ago=160, days=26, reason=WON.QUALITY, savings=38000, payback="14",
          notes="Their technical expert preferred our sealing quality after the trial."),
    Story(BUYING, S.WON, "Bulk materials supply, first half",
          (_l("bulk-materials", "Quartz sand, tonnes", "180.500", "610.00", "4"),),
          ago=60, days=9, reason=WON.TERMS, savings=11000, payback="0",
          notes="Won on 60-day payment terms and a delivery slot every Monday."),
    Story(KEY, S.WON, "Spare-parts management outsourced",
          (_l("spare-parts", "Critical spares kit, per line", "40", "890.00", "10"),
           _l("services", "On-site stores management, days", "30", "420.00")),
          ago=15, days=27, reason=WON.REFERENCES, savings=58000, payback="11",
          notes="The call with Fuji Precision's COO settled it."),
    # --- lost: accounts slipping away or gone -------------------------------------------------------
    Story(SLIPPING, S.LOST, "Spare-parts stock agreement",
          (_l("spare-parts", "Bearings and seals, framework", "900", "89.00", "6"),),
          ago=50, days=16, reason="competitor", notes="Moved the volume to a local supplier."),
    Story(SLIPPING, S.LOST, "Hydraulic equipment replacement",
          (_l("equipment", "Hydraulic power unit", "6", "14500.00", "4"),
           _l("services", "Dismantling and installation", "40", "420.00")),
          ago=95, days=25, reason="price", notes="Competitor quoted 8 % lower on the same units."),
    Story(GONE, S.LOST, "Consumables restart offer",
          (_l("consumables", "Welding wire, 15 kg spools", "300", "68.00", "10"),),
          ago=200, days=14, reason="missed_deadlines",
          notes="They would not come back after the two late deliveries last year."),
    Story(BUYING, S.LOST, "Second service crew for the night shift",
          (_l("services", "Night-shift service crew, months", "6", "5200.00", "5"),),
          ago=140, days=30, reason="no_need", notes="Project postponed to next year."),
    # --- expired and withdrawn ---------------------------------------------------------------------
    Story(SLIPPING, S.EXPIRED, "Service visit package",
          (_l("services", "Quarterly service visits", "4", "2400.00"),), ago=40, days=31,
          notes="No answer after three reminders."),
    Story(BUYING, S.WITHDRAWN, "Equipment trial offer",
          (_l("equipment", "Trial unit, 3 months", "1", "4800.00", "10"),), ago=25, days=20,
          notes="Withdrawn: the client asked for a bigger scope, offered again as a new proposal."),
    # --- open: drafts, approval, out with the client ------------------------------------------------
    Story(PROSPECT, S.DRAFT, "Introductory consumables offer",
          (_l("consumables", "Starter assortment", "1", "2400.00", "5"),), ago=3),
    Story(KEY, S.DRAFT, "Spare-parts framework 2028 renewal",
          (_l("spare-parts", "Framework volume, bearings", "1200", "89.00", "7"),), ago=1),
    Story(BUYING, S.DRAFT, "Bulk materials supply, second half",
          (_l("bulk-materials", "Quartz sand, tonnes", "200.000", "610.00", "4"),), ago=2),
    Story(PROSPECT, S.DRAFT, "Starter equipment package",
          (_l("equipment", "Compact press", "1", "14500.00"),), ago=5),
    Story(KEY, S.IN_APPROVAL, "Equipment upgrade with a volume discount",
          (_l("equipment", "Drive units, volume order", "20", "1450.00", "25"),
           _l("services", "Commissioning", "24", "420.00")), ago=4, savings=30000, payback="8",
          notes="25 % on the drives to win the whole upgrade against Ferrox."),
    Story(BUYING, S.APPROVED, "Service contract extension",
          (_l("services", "Full-service contract, 24 months", "24", "3800.00", "14"),), ago=6,
          savings=21000, payback="12"),
    Story(PROSPECT, S.SENT, "First order: consumables and spare parts",
          (_l("consumables", "Cutting discs 125 mm", "1000", "12.50", "5"),
           _l("spare-parts", "Bearing assortment", "120", "89.00", "5")), ago=4, savings=3500, payback="0"),
    Story(BUYING, S.SENT, "Equipment maintenance renewal",
          (_l("services", "Preventive maintenance, 12 months", "12", "1650.00"),), ago=6,
          unargued=(ROLE.DECISION_MAKER,)),
    Story(SLIPPING, S.SENT, "Win-back offer: spare parts at framework prices",
          (_l("spare-parts", "Bearings and seals", "400", "89.00", "12"),), ago=10,
          savings=4200, payback="0"),
    Story(KEY, S.RECEIVED, "Equipment modernisation, phase 2",
          (_l("equipment", "Servo press drive unit", "60", "1450.00", "5"),
           _l("services", "Installation and commissioning", "80", "420.00")), ago=9,
          savings=48000, payback="20"),
    Story(BUYING, S.RECEIVED, "Consumables price agreement 2027",
          (_l("consumables", "Consumables basket, monthly", "12", "2100.00", "6"),), ago=12),
    Story(KEY, S.NEGOTIATION, "Service level agreement 2027",
          (_l("services", "Guaranteed response, 12 months", "12", "3800.00", "8"),), ago=25,
          savings=27000, payback="10", notes="Their buyer asks for 10 %; valid until the end of next week."),
    Story(BUYING, S.NEGOTIATION, "Bulk materials framework 2027",
          (_l("bulk-materials", "Limestone, tonnes", "400.000", "610.00", "6"),), ago=14,
          savings=9000, payback="0"),
)  # fmt: skip
