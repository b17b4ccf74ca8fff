resource "aws_instance" "web" {
  ami                    = "ami-0c55b159cbfafe1f0"
  instance_type          = "t3.micro"
  subnet_id              = "subnet-0a1b2c3d4e5f67890"
  vpc_security_group_ids = ["sg-0123456789abcdef0"]
  key_name               = "deploy"
}
