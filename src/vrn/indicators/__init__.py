"""Risk and protective factor indicators from Fingertips all-data exports."""
