terraform {
  backend "pg" {
    schema_name = "network"
  }
}
