# HARNESS_ACCOUNT_ID and HARNESS_PLATFORM_API_KEY come from the environment.
provider "harness" {
  endpoint = "https://app.harness.io/gateway"
}
