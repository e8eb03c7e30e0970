# Terraform with deliberate misconfigurations for Checkov.
resource "aws_s3_bucket" "reports" {
  #checkov:skip=CKV_AWS_18:access logs are collected by the organisation trail
  bucket = "shipgate-fixture-reports"
}

resource "aws_security_group" "web" {
  name = "web"

  ingress {
    description = "ssh from anywhere"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
