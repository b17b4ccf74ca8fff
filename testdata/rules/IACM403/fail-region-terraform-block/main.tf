# Copyright 2024 Acme Corp.
# SPDX-License-Identifier: Apache-2.0

terraform {
  required_version = ">= 1.6.0"
}

resource "random_id" "suffix" {
  byte_length = 4
}
