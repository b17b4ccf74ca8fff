# Lowercase hex of 40 characters is a key (or a digest), not a slug.
variable "signing_key" {
  type    = string
  default = "9c4e1b7a2f3d8e6c0b5a4f9e8d7c6b5a4f3e2d1c"
}

# Letters and digits alternating: a random token.
variable "webhook_secret" {
  type    = string
  default = "x7fk2m9qpl3vz8w4"
}

# Mixed case.
variable "api_token" {
  type    = string
  default = "Ab3dEf9hIj2kLm"
}

# A UUID-shaped key.
variable "license_key" {
  type    = string
  default = "3f2b8c1e-9d4a-4e7b-b6c5-0a1d2e3f4a5b"
}
