# This file is maintained automatically by "tofu init".
# Manual edits may be lost in future updates.

provider "registry.opentofu.org/hashicorp/google" {
  version     = "5.24.0"
  constraints = "~> 5.20"
  hashes = [
    "h1:pMBjpsUX1d6SVXbEEQepq6q4CEj1RSEDt0Sy1gRAjPc=",
    "zh:105597f122cf7fcdf906ddb152bb03426d3d38fc54f60def2bb2d7892b3e0386",
    "zh:4df8f671299a3d338ac0daf00c49892d403e8d76330196a26c598762825469c2",
    "zh:56ea5dd35628177930d1612989e604d91a0800b45f6ecec07daed67a13c451d7",
    "zh:e969cc604092f094425866f50b72ac6c9695327b912d5d23614b6de26be3527f",
  ]
}
