provider "aws" {
  region     = "us-east-1"
  access_key = "AKIAG9KBW6F6HGSHD0VL"
  secret_key = "p+vaQcT7xl2cwC6dT0ctPVnaawqrczLJWImKMG4h"
}
