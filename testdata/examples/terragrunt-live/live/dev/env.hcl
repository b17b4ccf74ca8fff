locals {
  name = "dev"
}
