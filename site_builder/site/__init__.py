"""The website: pages rendered from the catalog, built by MkDocs Material (see ``build``)."""

from site_builder.site.build import BuildResult, SiteBuildError, StagingError, build_site, site_files, write_staging

__all__ = ["BuildResult", "SiteBuildError", "StagingError", "build_site", "site_files", "write_staging"]
