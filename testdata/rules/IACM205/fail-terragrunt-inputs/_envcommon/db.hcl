inputs = {
  db_password = "Zr8v2LqNp4Wx"
  settings = {
    api_token = "tok_9fQ2mLx7Vb3K"
  }
}
