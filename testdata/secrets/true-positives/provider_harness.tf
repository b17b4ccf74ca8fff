provider "harness" {
  endpoint         = "https://app.harness.io/gateway"
  account_id       = "27c4BAl3S56rZI0MuSbW8z"
  platform_api_key = "pat.JTd4FYVtGMvldxwK9kLWBs.fb33fdebd0bd6ba93e3c411a.bkmUAolhChZ9oZGrp27Y"
}
