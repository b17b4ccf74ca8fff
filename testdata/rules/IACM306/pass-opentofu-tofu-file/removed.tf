removed {
  from = aws_instance.legacy
}
