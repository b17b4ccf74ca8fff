output "vpc_id" {
  value = aws_vpc.main.id
}

output "private_subnet_ids" {
  value = module.subnets.private_subnet_ids
}
