"""engbench: the reproducible pipeline of the Dutch Engagement Benchmark.

One module (or sub-package) per stage of the workflow; every function takes
and returns data (data frames, dicts, arrays) and knows nothing of Snakemake.
"""

__version__ = "0.1.0"
