terraform {
  required_version = var.engine_version
}
