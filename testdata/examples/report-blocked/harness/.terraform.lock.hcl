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

provider "registry.opentofu.org/harness/harness" {
  version     = "0.31.4"
  constraints = "~> 0.30"
  hashes = [
    "h1:kNEqoRVlvgA9v/eJqqeZwuJSFTG4RBovfbwKSC4ykT0=",
    "zh:0b6b5ecb986c043a9a792c3a45535ada438713f9df2d56a5f74271d7cc2a7794",
    "zh:30f5f9c11cc2feb0c2b40850f58248001ea7f516283e1cd23b51a5d09bc7e401",
    "zh:7b2cb9ac9cf18f84691ecdf172ac7714ec815b7971b92511142846e2defaada7",
    "zh:ad0586668341503f3a0d6078d36f1f244058e2cc67e1410006d04120f3525e99",
  ]
}
