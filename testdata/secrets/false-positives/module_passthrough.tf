module "db" {
  source      = "./modules/db"
  db_password = var.db_password
  api_token   = data.aws_ssm_parameter.token.value
}
