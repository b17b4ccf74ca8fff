locals {
  slack_webhook_bot = "xoxb-855845376861-6714047137889-KXZPEnx21I1E0FfkjKcssytZ"
}
