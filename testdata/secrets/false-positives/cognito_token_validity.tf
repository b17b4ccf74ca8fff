resource "aws_cognito_user_pool_client" "web" {
  name                   = "web"
  user_pool_id           = aws_cognito_user_pool.main.id
  generate_secret        = false
  access_token_validity  = 60
  id_token_validity      = 60
  refresh_token_validity = 30
  explicit_auth_flows    = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
}
