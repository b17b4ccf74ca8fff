locals {
  payment_settings = {
    currency = "eur"
    stripe   = "sk_live_T3YQf2juCU1QKVMwNFs15ykU"
  }
}
