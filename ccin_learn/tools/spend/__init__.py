"""Procurement spend analysis: where a council's published payments go.

Councils in England publish each payment over £500 under the Local Government
Transparency Code. Community Wealth Building starts from a baseline of that spend:
how much goes to local suppliers, to small and medium-sized enterprises (SMEs) and
to voluntary, community and social enterprises (VCSEs), and to which suppliers.

The work flows one way through the package's modules, none importing a later one:

- ``columns``: recognising the file's columns (supplier, amount, postcode, flags...);
- ``cells``: cleaning the cells (amounts, supplier names, postcodes, yes/no flags);
- ``reading``: reading the file (encoding, header row, rows it could not read) into
  ``Payments``;
- ``analysis``: the shares of net spend, top suppliers and categories, a ``SpendReport``;
- ``summary``: the report in words and as the summary CSV;
- ``charts``: the report as matplotlib charts.

Nothing on the hot path loops over rows in Python. pandas' C parser reads the file
(in parallel threads for a large file on disk); names, postcodes and flags are worked
out once per distinct value; amounts are cleaned by a few ``str.replace`` calls over
the whole column joined into one string and parsed by the C parser again. A
100,000-row file takes under three times as long as a plain ``pandas.read_csv``
(``benchmarks/spend_analysis.py``).
"""

from ccin_learn.tools.spend.analysis import (
    CategoryLine,
    LocalDefinition,
    Share,
    SpendReport,
    SupplierLine,
    analyse,
    local_definition,
    net_spend,
)
from ccin_learn.tools.spend.charts import categories_chart, shares_chart, suppliers_chart
from ccin_learn.tools.spend.columns import ROLE_WORDS, ROLES
from ccin_learn.tools.spend.reading import Payments, UnreadableRow, load_payments, read_payments
from ccin_learn.tools.spend.summary import (
    headline,
    percent,
    summary_csv,
    summary_file_name,
    summary_rows,
    write_summary_csv,
)

__all__ = [
    "ROLES",
    "ROLE_WORDS",
    "CategoryLine",
    "LocalDefinition",
    "Payments",
    "Share",
    "SpendReport",
    "SupplierLine",
    "UnreadableRow",
    "analyse",
    "categories_chart",
    "headline",
    "load_payments",
    "local_definition",
    "net_spend",
    "percent",
    "read_payments",
    "shares_chart",
    "summary_csv",
    "summary_file_name",
    "summary_rows",
    "suppliers_chart",
    "write_summary_csv",
]
