"""Message types: complaint, question, compliment, other.

``model``: the scikit-learn classifier (train, save, load, predict);
``validation``: cross-validation on the gold standard;
``quantify``: type shares corrected for the classifier's error rates;
``coding``: the hand-coding workflow (sample, coder sheets, reliability, gold standard).
The codebook is data/labels/CODEBOOK.md.
"""

TYPES = ("complaint", "question", "compliment", "other")
