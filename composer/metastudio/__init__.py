"""Our own client of Huawei Cloud MetaStudio's video-production API (plain Python on httpx, no Django)."""
