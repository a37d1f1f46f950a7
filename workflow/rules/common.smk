# Values every stage needs, computed once from the validated config.

from functools import partial

from engbench.classify.adapt import label_sources
from engbench.faults import check_writable
from engbench.metrics import ALL as ALL_ORGANISATIONS
from engbench.metrics import organisation_groups
from engbench.organisations import read_organisations
from engbench.resources import rule_needs
from engbench.series import CODEBOOK
from engbench.simulate import demo_folder, output_paths
from engbench.sources import raw_files

EDITION = config["edition"]["name"]
# Raw records that may name a consumer (quarantined records): apart from results/, git-ignored
PRIVATE = f"private/{EDITION}"
# a read-only results, logs or private folder stops the run here, not mid-way in a job
check_writable([f"results/{EDITION}", f"logs/{EDITION}", PRIVATE])
LABEL_FILES = [path for path, _ in label_sources(config["classify"]["labels"])]
LABEL_WEIGHTS = [weight for _, weight in label_sources(config["classify"]["labels"])]
ACCOUNTS = read_organisations(config["organisations"])
DEMO = config["demo"]
DEMO_DIR = demo_folder(config)
SIMULATED = output_paths(ACCOUNTS, DEMO_DIR)
# (source, file key) → path, format, options, timezone of every raw file
RAW_FILES = raw_files(
    config["sources"],
    config["timezone"],
    simulated=SIMULATED["twitter"] + SIMULATED["facebook"] if DEMO["enabled"] else None,
)
# What the demo edition adds to `rule all`: the simulated inputs and their overview.
DEMO_TARGETS = (
    [
        *SIMULATED["panel"],
        f"results/{EDITION}/demo/volumes.png",
        f"results/{EDITION}/demo/simulated_counts.csv",
    ]
    if DEMO["enabled"]
    else []
)
# The classifier's optional outputs: checked against the truth (demo), reliability (coded sheets).
CLASSIFY_TARGETS = (
    [
        f"results/{EDITION}/classify/demo_validation.json",
        f"results/{EDITION}/classify/demo_response_by_type.json",
    ]
    if DEMO["enabled"]
    else []
)
if config["classify"]["coded_sheets"]:
    CLASSIFY_TARGETS.append(f"results/{EDITION}/coding/reliability.csv")
# The consumer panel, or None: an edition without a panel runs every stage but the panel and
# models, and its report has no loyalty chapter.
PANEL = config["panel"]
PANEL_TARGETS = (
    [f"results/{EDITION}/panel/descriptives.csv", f"results/{EDITION}/models/coefficients.csv"]
    if PANEL
    else []
)
# What the report reads from the panel stage (nothing without a panel).
PANEL_RESULTS = (
    {
        "descriptives": f"results/{EDITION}/panel/descriptives.csv",
        "coefficients": f"results/{EDITION}/models/coefficients.csv",
        "models": f"results/{EDITION}/models/models.json",
        "panel": PANEL["path"],
    }
    if PANEL
    else {}
)

# Each job's memory and run time, from its inputs' size and the retry attempt (the
# simulator's from its configured size), used as `resources: **needs("threads")`.
needs = partial(rule_needs, n_simulated=round(DEMO["messages"] * DEMO["scale"]))
# The parts of the threads and metrics stages (config `shards`): shard numbers, and the
# organisations of each metrics job ("edition": the edition-wide cells).
THREAD_SHARDS = list(range(config["shards"]["threads"]))
METRIC_PARTS = {
    **organisation_groups(ACCOUNTS["org_id"], config["shards"]["metrics"]),
    "edition": [ALL_ORGANISATIONS],
}
