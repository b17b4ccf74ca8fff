# Pin the provider region for the sandbox account.
provider "aws" {
  region = "eu-west-1"
}
