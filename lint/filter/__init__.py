"""The filter stage, between the rules and the reporters: the configuration
file (select, ignore, severity, per-file ignores, exclude), inline
suppressions (with IACM001/IACM002), the baseline, and the line-shift-stable
fingerprints that suppressions and baselines match findings by."""
