# old key for the deploy user: AKIAGKGLS12HO47CD2TL
resource "aws_iam_user" "deploy" {
  name = "deploy"
}
