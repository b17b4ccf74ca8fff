locals {
  legacy = {
    id     = "AKIAPO1O0LV8W76417ZW"
    secret = "yr/n+dryG4cBIRlNmbh/+3UHdgBDJppkFFEZciCQ"
  }
}
