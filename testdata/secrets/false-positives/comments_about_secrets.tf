# The password for the admin user comes from the Harness secret "db_admin_pw".
# Set GITHUB_TOKEN (e.g. ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx) in the workspace.
/* token: <your-token-here> */
resource "aws_iam_user" "admin" {
  name = "admin"
}
