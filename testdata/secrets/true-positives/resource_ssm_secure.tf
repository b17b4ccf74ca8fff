resource "aws_ssm_parameter" "smtp" {
  name  = "/prod/smtp/credential"
  type  = "SecureString"
  value = "BCdpKXspIuxAp4fXgRKCdF2s8j1Eja"
}
