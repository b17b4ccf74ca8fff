resource "aws_sqs_queue" "jobs" { # iacm-lint: ignore[] legacy queue
  name = "jobs-dev"
}

resource "aws_sqs_queue" "dead_letters" { # iacm-lint: ignore[IACM104] kept for the replay tool
  name = "jobs-dev-dlq"
}
