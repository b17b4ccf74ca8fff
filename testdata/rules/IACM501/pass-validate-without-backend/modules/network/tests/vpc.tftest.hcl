variables {
  cidr_block = "10.0.0.0/16"
}

run "plan_vpc" {
  command = plan

  assert {
    condition     = aws_vpc.this.cidr_block == "10.0.0.0/16"
    error_message = "unexpected CIDR block"
  }
}
