resource "aws_security_group_rule" "ssh" {
  type        = "ingress"
  cidr_blocks = [10.11.10.12/32]
}
