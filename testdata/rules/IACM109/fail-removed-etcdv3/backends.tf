terraform {
  backend "etcdv3" {
    endpoints = ["etcd-1.internal:2379", "etcd-2.internal:2379"]
    lock      = true
    prefix    = "terraform-state/network/"
  }
}
