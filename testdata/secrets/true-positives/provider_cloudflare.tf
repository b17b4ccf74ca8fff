provider "cloudflare" {
  api_token = "OYn7B3_5SApYXfE-1ds3vbgqMMvFuz4zf3ATNeY2"
}
