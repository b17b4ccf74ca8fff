db_connection = "JcqNo6GHm3aZ9jSNPSVHUCVq5DVF"
