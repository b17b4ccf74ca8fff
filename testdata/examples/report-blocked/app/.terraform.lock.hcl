# This file is maintained automatically by "tofu init".
# Manual edits may be lost in future updates.

provider "registry.opentofu.org/hashicorp/aws" {
  version     = "5.46.0"
  constraints = "~> 5.40"
  hashes = [
    "h1:l3SyLT3QbkhSV/2ynQkYjR/9+EDCSytGtp2U8RO/8Oo=",
    "h1:gRHcJYJZgHIwKMk1QTUTNl9wZvGjqjmI47Mt8etc1T0=",
    "zh:3e34c8a6ce8705ed19629903f8d65ea2a19a7034460b6daa2a824bcaaba26c96",
    "zh:8111dc25825980723028c935413513365f7066f1a3aa3988e3b32df1eb5cd53d",
    "zh:9774b22d3dd06e485257fdb29d09188d1ffdf840c24b2b46b69d94f113bff0ea",
    "zh:a961abc0f243dda292b22956cddd76bdcd13e23a1b945cf5f4c5f13000ef2812",
    "zh:ef7f954017938efa44321564cc1ea14cf196c4edc950ce53cd81f818ef7aed32",
  ]
}
