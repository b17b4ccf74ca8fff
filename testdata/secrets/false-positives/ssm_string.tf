resource "aws_ssm_parameter" "endpoint" {
  name  = "/prod/api/endpoint"
  type  = "String"
  value = "https://api.acme.io/v2"
}
