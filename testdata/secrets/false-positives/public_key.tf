resource "aws_key_pair" "deploy" {
  key_name   = "deploy"
  public_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIyx4Ag8SsaxTmknuj64AX6VM2ewMuBY6rfNcAKEIOUtt deploy@acme"
}
