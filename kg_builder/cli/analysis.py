"""Commands of the analysis stage: analyse, viz (issue 5)."""
