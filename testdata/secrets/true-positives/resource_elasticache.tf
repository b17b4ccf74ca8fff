resource "aws_elasticache_replication_group" "cache" {
  replication_group_id       = "cache"
  description                = "session cache"
  node_type                  = "cache.t3.micro"
  transit_encryption_enabled = true
  auth_token                 = "3WuDdTWUi2DrjsmKEMfFvWzS1AG3QKYN"
}
