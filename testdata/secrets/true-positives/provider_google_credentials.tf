provider "google" {
  project     = "acme-prod"
  region      = "europe-west1"
  credentials = <<EOF
{
  "type": "service_account",
  "project_id": "acme-prod",
  "private_key_id": "60a077bbd142880e8427abeec12975fd55911ea2",
  "private_key": "-----BEGIN RSA PRIVATE KEY-----\\nYF/jahnxskkAXLUxKjdSJerjaMXovpjaE1iYUWzK6EYUn/4KaZJ5iqO4TEzJPmq0\\niinZ7BbhTd5Ngzgsum9iX68xxv9syqrTdr4GPwEb1vpdyZIiUJlY7rc8hnTwbYYF\\nnw/PuNCdyIzbG3AvnAcI7YVHDdNrp0gzyQC5sq1ySC8uzEHdzGEKzqEqnvMZAcPW\\n8FUmSRqP0cNT8H9etVjHQF83I+5k95JZryidROMCe9jwUWblEa61+D6lw2a7buBD\\n-----END RSA PRIVATE KEY-----\\n",
  "client_email": "tf@acme-prod.iam.gserviceaccount.com"
}
EOF
}
