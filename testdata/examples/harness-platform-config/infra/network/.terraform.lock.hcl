# This file is maintained automatically by "tofu init".
# Manual edits may be lost in future updates.

provider "registry.opentofu.org/hashicorp/aws" {
  version     = "5.46.0"
  constraints = "~> 5.40"
  hashes = [
    "h1:l3SyLT3QbkhSV/2ynQkYjR/9+EDCSytGtp2U8RO/8Oo=",
    "zh:3e34c8a6ce8705ed19629903f8d65ea2a19a7034460b6daa2a824bcaaba26c96",
  ]
}
