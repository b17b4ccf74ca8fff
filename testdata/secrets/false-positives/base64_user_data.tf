resource "aws_launch_template" "web" {
  name_prefix = "web-"
  user_data   = "IyEvYmluL2Jhc2gKeXVtIGluc3RhbGwgLXkgbmdpbngKc3lzdGVtY3RsIGVuYWJsZSAtLW5vdyBuZ2lueAo="
}
