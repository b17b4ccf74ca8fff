# required_version may be in the block that does not parse: IACM000 reports it and says IACM303 was not checked
terraform {
  required_version = ">= 1.6.0
}
