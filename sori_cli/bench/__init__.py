"""`sori bench`: SoRi's figures, each beside a raw baseline measured in the same run on the same machine."""
